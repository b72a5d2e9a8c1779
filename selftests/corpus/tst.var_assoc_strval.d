BEGIN
{
	n[1] = "one";
	n[2] = "two";
	n[1] = "uno";
	printf("%s %s\n", n[1], n[2]);
	exit(0);
}
