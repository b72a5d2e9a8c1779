BEGIN
{
	x = *(int *)0x1000;
}

ERROR
{
	printf("%d %x\n", arg1, arg5);
}

BEGIN
{
	exit(0);
}
