"""Mesa agents and the rule objects they hold."""
