/* a variable holds alloca() pointers or other pointers, never both (as DTrace) */
BEGIN
{
	b = (char *)curthread;
	a = (char *)alloca(1);
	a = NULL;
	a = b + 5;
}
