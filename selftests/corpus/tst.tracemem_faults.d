/*
 * tracemem() faults as a load does: memory that is neither kernel nor
 * ktrace memory (a user address is copyin()'d first) is an invalid
 * address, and more bytes than scratch holds are out of scratch space;
 * the ERROR probe sees the fault and its value.
 */
BEGIN
{
	tracemem(16, 4);
}

BEGIN
{
	tracemem(curthread, 1048576);
}

BEGIN
{
	exit(0);
}

ERROR
{
	printf("fault %d value %x\n", arg4, arg5);
}
