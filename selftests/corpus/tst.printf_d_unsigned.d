/* %d of an unsigned value prints it as unsigned, as DTrace does */
BEGIN
{
	printf("%d %d %i\n", (unsigned int)0xffffffff, (uint64_t)-1, (uint8_t)200);
	exit(0);
}
