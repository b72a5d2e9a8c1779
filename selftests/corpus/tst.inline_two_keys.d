/* an inline of several keys: NAME[TYPE P1, TYPE P2] = EXPR, used as NAME[k1, k2] */
#pragma D option quiet

inline int f[int x, int y] = x * 10 + y;
inline string g[int a, string s] = a > 0 ? s : "none";

BEGIN
{
	i = 4;
	printf("%d %s %s\n", f[i, 2], g[1, "yes"], g[i - 4, "yes"]);
	exit(0);
}
