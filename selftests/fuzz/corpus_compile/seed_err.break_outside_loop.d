BEGIN
{
	break;
}
