/* copyinto()'s destination must be alloca() memory, known at compile time */
BEGIN
{
	copyinto(arg0, 4, (void *)curthread);
}
