/* a ?: of an alloca() pointer and another pointer cannot be assigned to a variable */
BEGIN
{
	a = (char *)alloca(1);
	a = a == NULL ? (char *)50 : a;
}
