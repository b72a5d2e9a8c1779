BEGIN
{
	exit(0);
}

END
{
	trace("done");
}
