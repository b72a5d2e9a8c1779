BEGIN
{
	a = "abc";
	b = "abd";
	printf("%d %d %d %d %d %d\n", a < b, a > b, a == "abc", a != b, "" < a, a <= a);
	printf("%s\n", a == "abc" ? "yes" : "no");
	exit(0);
}
