BEGIN
{
	@c = count();
	@c = count();
	exit(0);
}
