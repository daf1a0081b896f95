/* One stub per interrupt vector: push a dummy error code where the CPU pushes none, push the
 * vector number, save every register, SSE included (struct trap_frame), and call trap_dispatch().
 * trap_dispatch may rewrite the frame (context switch, fault fix-up); we restore from it. */

	.text
	.code64

.macro isr_stub vec
	.balign 16
isr_stub_\vec:
	.if (\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || (\vec == 13) || (\vec == 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp isr_common
.endm

.altmacro
.macro isr_stub_n n
	isr_stub %n
.endm
.set vec, 0
.rept 256
	isr_stub_n vec
	.set vec, vec + 1
.endr

isr_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	sub $512, %rsp              /* SSE/x87 state: the handlers may use SSE (struct trap_frame.fpu) */
	fxsave64 (%rsp)
	mov %rsp, %rdi
	cld
	call trap_dispatch
	fxrstor64 (%rsp)
	add $512, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp
	iretq

.macro stub_addr n
	.quad isr_stub_\n
.endm
	.section .rodata
	.balign 8
	.globl isr_stub_table
isr_stub_table:
.set vec, 0
.rept 256
	stub_addr %vec
	.set vec, vec + 1
.endr
