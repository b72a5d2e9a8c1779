BEGIN
{
	i = 0;
	for (;;) {
		i += 3;
		if (i > 10)
			break;
	}
	for (j = 5; j > 0;)
		j -= 2;
	printf("%d %d\n", i, j);
	exit(0);
}
