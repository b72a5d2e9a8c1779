/* Stores through pointers may only write alloca() memory: anything else faults. */
BEGIN
{
	this->p = (int *)alloca(4);
	*this->p = 1;
	*(int *)0 = 2;
}

BEGIN
{
	exit(1);
}
