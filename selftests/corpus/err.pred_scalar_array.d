/* a declared array is no scalar: D_PRED_SCALAR (its elements are) */
int a[4];

BEGIN
/a/
{
	exit(0);
}
