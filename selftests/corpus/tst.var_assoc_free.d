BEGIN
{
	for (i = 0; i < 100; i++) {
		a[i] = i + 1;
		a[i] = 0;
	}
	a[7] = 70;
	printf("%d %d\n", a[7], a[99]);
	exit(0);
}
