BEGIN
{
	@s[1] = sum(5);
	@s[22] = sum(100);
	printa("[%3d][%@5d]\n", @s);
	exit(0);
}
