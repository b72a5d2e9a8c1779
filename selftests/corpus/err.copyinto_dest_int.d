/* copyinto()'s destination is a pointer (alloca() memory), not an integer */
BEGIN
{
	copyinto(arg0, 2, 3);
}
