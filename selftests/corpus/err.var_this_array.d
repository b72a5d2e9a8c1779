/* Clause-local variables are scalars: DTrace has no clause-local arrays (D_ARR_LOCAL). */
BEGIN
{
	this->a[1] = 10;
	this->a[2] = 20;
	printf("%d\n", this->a[1] + this->a[2]);
	exit(0);
}
