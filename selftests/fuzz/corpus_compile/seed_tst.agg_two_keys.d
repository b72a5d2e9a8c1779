BEGIN
{
	@s["x", "y"] = sum(3);
	@s["x", "z"] = sum(1);
	exit(0);
}
