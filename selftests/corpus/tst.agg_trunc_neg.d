BEGIN
{
	@s["a"] = sum(1);
	@s["b"] = sum(2);
	@s["c"] = sum(3);
	trunc(@s, -2);
}

END
{
	printa("%s %@d\n", @s);
}

BEGIN
{
	exit(0);
}
