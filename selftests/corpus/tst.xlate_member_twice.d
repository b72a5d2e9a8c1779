/* a translator member defined twice translates by its first definition (as DTrace) */
#pragma D option quiet

struct s {
	int a;
	int b;
};

translator struct s < int x > {
	a = x + 1;
	b = x * 2;
	a = 99;
};

BEGIN
{
	printf("%d %d\n", xlate <struct s> (20).a, xlate <struct s> (20).b);
	exit(0);
}
