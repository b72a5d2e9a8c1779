BEGIN
{
	@a["x"] = count();
	@b["x"] = sum(10);
	printa("%s %@d %@d\n", @a, @b);
	exit(0);
}
