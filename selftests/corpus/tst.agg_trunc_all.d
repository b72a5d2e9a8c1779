BEGIN
{
	@s["a"] = sum(1);
	trunc(@s);
	printa("left: %s\n", @s);
	exit(0);
}
