/*
 * A kernel bit-field read as an integer: task_struct's in_execve (one bit
 * among others) is 0 outside execve(2) and 1 while the kernel checks the
 * new program (security_bprm_check(), after bprm_execve() set it): the
 * child of toolwork forkexec execs, after tracing started.
 */
BEGIN
{
	printf("begin: %d\n", curthread->in_execve);
}

fbt::security_bprm_check:entry
/progenyof($target) && pid != $target/
{
	printf("bprm check: %d\n", curthread->in_execve);
	exit(0);
}
