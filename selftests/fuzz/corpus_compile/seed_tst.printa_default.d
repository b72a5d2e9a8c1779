BEGIN
{
	@c["x"] = count();
	printa(@c);
	exit(0);
}
