/* The smallest PVH guest: ends the VM at once through isa-debug-exit. The boot benchmark's
 * baseline: QEMU's own start-up and tear-down with nothing to run. */
	.section .note.pvh, "a", @note
	.balign 4
	.long 4, 4, 18
	.asciz "Xen"
	.long entry
	.text
	.code32
	.globl entry
entry:
	mov $0xf4, %dx
	xor %eax, %eax
	out %eax, %dx
	hlt
