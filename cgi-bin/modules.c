#include "modules.h"

int modules_init(struct app *app)
{
	(void)app;
	return 0;
}

void modules_free(struct app *app)
{
	(void)app;
}
