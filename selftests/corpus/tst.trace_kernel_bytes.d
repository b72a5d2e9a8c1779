/*
 * trace() of a kernel char array and of a kernel struct, tracemem() of
 * kernel and copied-in user memory, in a process whose memory the test
 * sets: cat (its comm, NUL-padded), its RLIMIT_NOFILE limits (77 soft,
 * 99 hard: struct rlimit, set by tst.trace_kernel_bytes.d.sh) and the
 * path it opens.
 */
syscall::openat:entry
/pid == $target && copyinstr(arg1) == "/ktrace-corpus-nofile"/
{
	trace(curthread->comm);
	trace(curthread->signal->rlim[7]);
	tracemem(&curthread->signal->rlim[7], 16, 8);
	tracemem(copyin(arg1, 21), 21);
	tracemem(copyin(arg1, 21), 21, 8);
}
