BEGIN
{
	printf("[%#x][%#o][%#X][%#x][%#o]\n", 255, 8, 255, 0, 0);
	exit(0);
}
