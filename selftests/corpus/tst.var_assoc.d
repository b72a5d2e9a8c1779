BEGIN
{
	a["k"] = 1;
	a["j"] = 2;
	printf("%d %d %d\n", a["k"], a["j"], a["none"]);
	exit(0);
}
