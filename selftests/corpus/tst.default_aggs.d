BEGIN
{
	@["k"] = count();
	exit(0);
}
