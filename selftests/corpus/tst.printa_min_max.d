BEGIN
{
	@mn["k"] = min(-5);
	@mn["k"] = min(2);
	@mx["k"] = max(-5);
	@mx["k"] = max(2);
	printa("min %s %@d\n", @mn);
	printa("max %s %@d\n", @mx);
	exit(0);
}
