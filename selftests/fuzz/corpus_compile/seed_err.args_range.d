BEGIN
{
	trace(args[12]);
}
