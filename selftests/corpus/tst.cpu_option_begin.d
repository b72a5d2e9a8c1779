/*
 * -x cpu=1: BEGIN and END fire on CPU 1 (ktrace starts and stops tracing
 * from there), as DTrace fires them on the CPU -x cpu names.
 */
BEGIN
{
	printf("begin on %d\n", cpu);
	exit(0);
}

END
{
	printf("end on %d\n", cpu);
}
