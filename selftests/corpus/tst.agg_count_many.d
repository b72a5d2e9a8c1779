BEGIN
{
	for (i = 0; i < 10; i++)
		@c[i % 3] = count();
	printa("%d:%@d ", @c);
	printf("\n");
	exit(0);
}
