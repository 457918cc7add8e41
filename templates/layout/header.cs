<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<?cs if:page.refresh ?><meta name="blhd-pending" content="1">
<noscript><meta http-equiv="refresh" content="<?cs var:page.refresh ?>"></noscript><?cs /if ?>
<title><?cs var:page.title ?> · <?cs var:site.company ?> Blacklist Help Desk</title>
<link rel="stylesheet" href="/static/css/portal.css">
<script src="/static/js/portal.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="topbar">
  <div class="wrap topbar-inner">
    <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">✉</span> <?cs var:site.company ?> <span class="brand-sub">Blacklist Help Desk</span></a>
    <nav aria-label="Main">
      <ul class="nav">
        <li><a href="/"<?cs if:page.nav == "home" ?> aria-current="page"<?cs /if ?>>Check a bounce</a></li>
        <?cs if:user.login ?>
        <?cs if:user.is_admin ?>
        <li><a href="/admin"<?cs if:page.nav == "admin" ?> aria-current="page"<?cs /if ?>>Dashboard</a></li>
        <?cs else ?>
        <li><a href="/forwards"<?cs if:page.nav == "forwards" ?> aria-current="page"<?cs /if ?>>My forwards</a></li>
        <?cs /if ?>
        <li><a href="/deliveries"<?cs if:page.nav == "deliveries" ?> aria-current="page"<?cs /if ?>>Refused mail</a></li>
        <li>
          <form method="post" action="/logout" class="inline">
            <input type="hidden" name="csrf" value="<?cs var:page.csrf ?>">
            <button type="submit" class="linklike">Log out <span class="muted">(<?cs var:user.login ?>)</span></button>
          </form>
        </li>
        <?cs else ?>
        <li><a href="/login"<?cs if:page.nav == "login" ?> aria-current="page"<?cs /if ?>>Log in</a></li>
        <?cs /if ?>
      </ul>
    </nav>
  </div>
</header>
<main id="main" class="wrap">
