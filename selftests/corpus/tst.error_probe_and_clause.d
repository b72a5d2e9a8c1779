/*
 * ERROR's arg1 is the id of the probe whose clause faulted and arg2 that
 * clause's index in the program (from 0, in source order), as DTrace's BPF
 * implementation passes them: BEGIN is probe 1, END probe 2.
 */
ERROR
{
	printf("probe %d clause %d fault %d value %d\n", arg1, arg2, arg4, arg5);
}

BEGIN
{
	x = 1;
}

BEGIN
{
	y = *(int *)0x4000;
}

BEGIN
{
	exit(0);
}

END
{
	z = 0;
	z = x / z;
}
