BEGIN
{
	i = 0;
	s = 0;
	while (i < 10) {
		s += i;
		i++;
	}
	printf("%d\n", s);
	exit(0);
}
