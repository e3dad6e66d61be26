-- Token fields in stored results use the API's camelCase names, as the response does.
UPDATE image_token_results
SET tokens_json = replace(replace(replace(replace(tokens_json,
        '"mu_x":', '"muX":'),
        '"mu_y":', '"muY":'),
        '"sigma_x":', '"sigmaX":'),
        '"sigma_y":', '"sigmaY":');
