BEGIN
{
	s = "value";
	t = strjoin(s, "!");
	printf("%s %s %10s|%-10s|\n", s, t, s, t);
	exit(0);
}
