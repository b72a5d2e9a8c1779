BEGIN
{
	@c["b"] = count();
	@c["a"] = count();
	@c["b"] = count();
	@c["c"] = count();
	exit(0);
}
