BEGIN
{
	printf("%x %X %x %x\n", -1, (char)-1, (short)-1, -1L);
	exit(0);
}
