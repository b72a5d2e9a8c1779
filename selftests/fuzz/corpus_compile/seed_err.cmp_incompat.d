BEGIN
{
	trace(execname == 0);
}
