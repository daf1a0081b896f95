/* Memory probes for the self-tests: each touches an address that may fault. On a fault the
 * handler (fault.c) resumes at the caller with RAX = 1, as if the probe returned 1; without a
 * fault the probe returns 0. Each probe is a leaf, so [RSP] is the return address when the
 * faulting instruction runs. */
	.text
	.globl probe_read, probe_write, probe_exec, probe_read_insn, probe_write_insn
probe_read:
probe_read_insn:
	movb (%rdi), %al
	xor %eax, %eax
	ret
probe_write:
probe_write_insn:
	movb %sil, (%rdi)
	xor %eax, %eax
	ret
/* Calls the code at RDI, which must return 0 itself when it runs. */
probe_exec:
	call *%rdi
	ret
