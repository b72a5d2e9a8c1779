BEGIN
{
	printf("%u %u %u\n", -1, (long)-1, (char)-2);
	exit(0);
}
