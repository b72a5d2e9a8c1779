BEGIN
{
	s = 0;
	for (i = 0; i < 5; i++)
		s += i * i;
	printf("%d\n", s);
	exit(0);
}
