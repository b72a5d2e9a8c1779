BEGIN
{
	i = 0;
	s = 0;
	while (i < 10) {
		i++;
		if (i % 2)
			continue;
		s += i;
	}
	printf("%d\n", s);
	exit(0);
}
