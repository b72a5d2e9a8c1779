BEGIN
{
	@mn = min(5);
	@mn = min(3);
	@mx = max(5);
	@mx = max(9);
	exit(0);
}
