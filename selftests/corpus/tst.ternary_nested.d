BEGIN
{
	a[0] = 5; a[1] = 50; a[2] = 500;
	for (i = 0; i < 3; i++)
		printf("%s\n", a[i] < 10 ? "small" : a[i] < 100 ? "medium" : "large");
	exit(0);
}
