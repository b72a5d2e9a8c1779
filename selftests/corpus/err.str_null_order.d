/* only == and != compare a string with NULL */
BEGIN
{
	x = "a";
	trace(x < NULL);
}
