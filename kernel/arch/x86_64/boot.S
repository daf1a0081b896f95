/* Boot entry for both boot paths, in 32-bit protected mode with paging off:
 *   - multiboot2 (GRUB2): EAX = 0x36d76289, EBX = multiboot2 information;
 *   - PVH (QEMU -kernel, via the XEN_ELFNOTE_PHYS32_ENTRY note): EBX = hvm_start_info.
 * Sets up an identity map of the first 4 GiB with 2 MiB pages, enables long mode, SSE and
 * NX (when the CPU has it), and calls kmain(eax, ebx) on the boot stack. kernel/core/paging
 * replaces these tables with precise ones right after. */

#define MB2_MAGIC      0xe85250d6
#define MB2_ARCH_I386  0

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* end tag */
	.short 0
	.short 0
	.long 8
mb2_header_end:

	.section .note.pvh, "a", @note
	.balign 4
	.long 4                 /* name size: "Xen\0" */
	.long 4                 /* descriptor size */
	.long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long _start32

	.section .boot.text, "ax"
	.code32
	.globl _start32
_start32:
	cli
	mov %eax, %esi                  /* boot magic (multiboot2) or garbage (PVH) */
	mov %ebx, %edi                  /* boot information, physical */
	rdtsc                           /* first timestamp: boot benchmark's zero */
	mov %eax, boot_tsc
	mov %edx, boot_tsc + 4

	lgdt boot_gdt_ptr
	ljmp $0x18, $1f                 /* 32-bit code selector of our own GDT */
1:	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss

	/* Zero the boot page tables (6 pages), then fill them. */
	mov $boot_pml4, %ebx
	mov %edi, %ebp
	mov %ebx, %edi
	xor %eax, %eax
	mov $(6 * 4096 / 4), %ecx
	rep stosl
	mov %ebp, %edi

	mov $boot_pdpt, %eax
	or $0x3, %eax                   /* present, writable */
	mov %eax, boot_pml4
	mov $boot_pd, %eax
	or $0x3, %eax
	mov %eax, boot_pdpt
	add $4096, %eax
	mov %eax, boot_pdpt + 8
	add $4096, %eax
	mov %eax, boot_pdpt + 16
	add $4096, %eax
	mov %eax, boot_pdpt + 24

	/* 2048 PD entries of 2 MiB: 4 GiB identity; the top GiB (MMIO: LAPIC, IOAPIC) uncached. */
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax                  /* present, writable, 2 MiB page */
	cmp $1536, %ecx
	jb 3f
	or $0x18, %eax                  /* PCD | PWT */
3:	mov %eax, boot_pd(,%ecx,8)
	mov %ecx, %edx
	shr $11, %edx                   /* bits 32+ of the address: ecx >> 11 */
	mov %edx, boot_pd + 4(,%ecx,8)
	inc %ecx
	cmp $2048, %ecx
	jb 2b

	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $((1 << 5) | (1 << 9) | (1 << 10)), %eax   /* PAE, OSFXSR, OSXMMEXCPT */
	mov %eax, %cr4

	/* EFER: long mode, and NX when CPUID says the CPU has it. */
	mov $0x80000001, %eax
	cpuid
	mov $(1 << 8), %ebx             /* LME */
	bt $20, %edx
	jnc 4f
	or $(1 << 11), %ebx             /* NXE */
4:	mov $0xc0000080, %ecx
	rdmsr
	or %ebx, %eax
	wrmsr

	mov %cr0, %eax
	and $~(1 << 2), %eax            /* no x87 emulation */
	or $((1 << 31) | (1 << 16) | (1 << 1)), %eax   /* paging, write-protect in ring 0, MP */
	mov %eax, %cr0
	ljmp $0x08, $start64

	.code64
start64:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %eax, %eax
	mov %ax, %fs
	mov %ax, %gs
	lea boot_stack_top(%rip), %rsp
	xor %ebp, %ebp
	fninit
	mov %esi, %esi                  /* zero-extend: kmain(uint32_t magic, uint64_t info) */
	mov %edi, %eax
	mov %rsi, %rdi
	mov %rax, %rsi
	call kmain
5:	cli
	hlt
	jmp 5b

	.section .rodata
	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00209a0000000000        /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: data */
	.quad 0x00cf9a000000ffff        /* 0x18: 32-bit code */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.section .bss
	.balign 4096
	.globl boot_pml4
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4 * 4096
	.balign 16
	.globl boot_stack, boot_stack_top
boot_stack:	.skip 65536
boot_stack_top:

	.section .data
	.balign 8
	.globl boot_tsc
boot_tsc:	.quad 0
