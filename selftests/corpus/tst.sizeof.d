BEGIN
{
	x = 1;
	printf("%d %d %d %d %d %d %d %d\n", sizeof(char), sizeof(short), sizeof(int),
	    sizeof(long), sizeof(long long), sizeof(char *), sizeof(uint16_t), sizeof(x));
	/* a string constant: its characters and the NUL; a string: strsize */
	printf("%d %d %d\n", sizeof("hi"), sizeof(""), sizeof(execname));
	exit(0);
}
