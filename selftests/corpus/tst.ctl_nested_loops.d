BEGIN
{
	n = 0;
	for (i = 0; i < 4; i++) {
		for (j = 0; j < 4; j++) {
			if (j == i)
				continue;
			if (j > 2)
				break;
			n += 10 * i + j;
		}
	}
	printf("%d\n", n);
	exit(0);
}
