BEGIN
{
	@c = count();
	clear(@c);
	printa("%@d\n", @c);
	exit(0);
}
